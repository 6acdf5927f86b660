"""The admin site's own words: head office's window on the cloud."""

from django.contrib import admin

admin.site.site_header = "AsiriaPOS head office"
admin.site.site_title = "AsiriaPOS head office"
admin.site.index_title = "Sales, stock and tills"
