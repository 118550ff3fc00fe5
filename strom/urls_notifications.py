urlpatterns = []  # notification pages (strom.views_notifications)
