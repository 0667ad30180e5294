"""Page-number pagination: {"count", "next", "previous", "results"}, ?page= and ?page_size= (max 500)."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """Like DRF's, but a page_size that is not a positive whole number is an error, not ignored."""
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        if len(raw) > 1 or not raw[0].isdigit() or int(raw[0]) < 1:
            raise ValidationError({"page_size": ["Give page_size once, as a whole number from 1 to 500."]})
        return min(int(raw[0]), self.max_page_size)

    def get_page_number(self, request, paginator):
        """Like DRF's, but an empty ?page= is an invalid page (404), as the schema's integer says,
        not a silent page 1."""
        if request.query_params.get(self.page_query_param) == "":
            message = "Give page as a whole number."
            raise NotFound(self.invalid_page_message.format(page_number="", message=message))
        return super().get_page_number(request, paginator)
