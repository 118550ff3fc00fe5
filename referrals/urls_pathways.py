urlpatterns = []  # pathway pages (referrals.pathway_views)
