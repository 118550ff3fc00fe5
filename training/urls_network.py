urlpatterns = []  # prevention and expert pages (training.views_network)
