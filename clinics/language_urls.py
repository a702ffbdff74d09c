from django.urls import path

from .views import language_choose

urlpatterns = [path("setlang/", language_choose, name="set_language")]
