"""The Django admin's site: Vexora's name on it, and its login under the same rate limits as the
API's and the pages' login (per client IP and per account, settings.THROTTLE_RATES["login"])."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _, gettext_lazy

from vexora.errors import TooManyRequests


class VexoraAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Vexora administration")
    site_title = gettext_lazy("Vexora admin")
    index_title = "Vexora"

    def login(self, request, extra_context=None):
        from vexora.web import sentence, throttle  # not at app loading: it needs DRF ready

        if request.method == "POST":
            try:
                throttle(request, "login", account=request.POST.get("username", ""))
            except TooManyRequests as exc:
                context = {**self.each_context(request), "title": _("Too many attempts"),
                           "message": sentence(exc.message)}
                response = TemplateResponse(request, "admin/throttled.html", context, status=429)
                if isinstance(exc.data, dict) and exc.data.get("retry_after"):
                    response["Retry-After"] = str(exc.data["retry_after"])
                return response
        return super().login(request, extra_context)


class VexoraAdminConfig(AdminConfig):
    default_site = "vexora.admin_site.VexoraAdminSite"


class LabelledInlineMixin:
    """A tabular inline names its fields only in the column headers: each field also gets its label
    as ``aria-label``, and the template names the row and delete columns, so assistive technology
    names every header and every input of every row."""

    template = "admin/edit_inline/tabular_labelled.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", str(formfield.label or db_field.verbose_name).capitalize())
        return formfield
