from .gate import Access, is_staff_member, request_access


def navigation(request):
    """What the navigation may show; computed here so templates hold no permission logic."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    signed_in = user.is_authenticated
    return {
        "nav": {
            "signed_in": signed_in,
            "show_members": signed_in and request_access(request) is Access.ADMIT,
            "show_admin": is_staff_member(user),
        }
    }
