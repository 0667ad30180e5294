"""The admin showing a service's refusal: one mixin for every app's ModelAdmin that saves through
the services."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from core.errors import DomainError


class RefusalsAsMessages:
    """A service refusing at save time (a race the form's checks could not see: the services
    check again under their locks) rolls the admin's transaction back and shows its message."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            if request.method != "POST" and (obj := self.get_object(request, object_id)) is not None:
                self.check_deletable(obj)
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def check_deletable(self, obj) -> None:
        """Raise the service's refusal before the confirmation page is shown."""
