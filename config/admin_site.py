"""The admin site, with room for read-only pages that are not a model's changelist.

An app adds one with `admin.site.register_view(...)` in its admin.py (the audit log does);
the page gets a URL under /admin/, the admin's sign-in and a place in the index and sidebar
for the people allowed to open it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.urls import path, reverse


@dataclass(frozen=True)
class AdminPage:
    route: str
    view: Callable
    name: str
    title: str
    app_label: str
    app_name: str
    allowed: Callable[[object], bool]


class YardstickAdminSite(AdminSite):
    site_header = "Yardstick administration"
    site_title = "Yardstick admin"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages: list[AdminPage] = []

    def register_view(self, route, view, *, name, title, app_label, app_name, allowed) -> None:
        self.pages.append(AdminPage(route, view, name, title, app_label, app_name, allowed))

    def get_urls(self):
        own = [path(p.route, self.admin_view(p.view), name=p.name) for p in self.pages]
        return own + super().get_urls()

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for page in self.pages:
            if app_label not in (None, page.app_label) or not page.allowed(request.user):
                continue
            url = reverse(f"{self.name}:{page.name}", current_app=self.name)
            entry = {
                "name": page.title,
                "object_name": page.name,
                "admin_url": url,
                "add_url": None,
                "view_only": True,
                "perms": {"add": False, "change": False, "delete": False, "view": True},
            }
            app = next((a for a in apps if a["app_label"] == page.app_label), None)
            if app is None:
                app = {"name": page.app_name, "app_label": page.app_label, "app_url": url,
                       "has_module_perms": True, "models": []}  # fmt: skip
                apps.append(app)
            app["models"].append(entry)
        return apps


class YardstickAdminConfig(AdminConfig):
    default_site = "config.admin_site.YardstickAdminSite"
