"""The admin site's own words: head office's window on the cloud."""

from django.contrib import admin

admin.site.site_header = "AsiriaPOS head office"
admin.site.site_title = "AsiriaPOS head office"
admin.site.index_title = "Sales, stock and tills"
# The app list already is on the index page; beside a list and its filters at 1366 px it would
# leave the list half the screen.
admin.site.enable_nav_sidebar = False
