"""Who may see and change what in grants: one place, used by services, views and the API."""

from accounts.roles import is_commissioner, is_finance, is_provider, is_staff_role
from grants.models import Programme


def member_organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "_yardstick_org_ids", None) is None:
        from accounts.roles import load_access

        load_access(user)
    return user._yardstick_org_ids


def can_view_programme(user, programme: Programme) -> bool:
    if is_staff_role(user):
        return True
    return is_provider(user) and programme.provider_id in member_organisation_ids(user)


def can_change_programme(user) -> bool:
    """Creating and changing programmes and their targets is for commissioners and admins."""
    return is_commissioner(user)


def can_submit_return(user, programme: Programme) -> bool:
    """Providers submit for their own organisations' programmes; admins may too, on their behalf."""
    if is_commissioner(user) and not is_provider(user):
        return user.is_superuser
    return is_provider(user) and programme.provider_id in member_organisation_ids(user)


def can_review_return(user, programme: Programme) -> bool:
    """Verifying and querying returns is for commissioners."""
    return is_commissioner(user)


def can_record_payment(user) -> bool:
    return is_finance(user)
