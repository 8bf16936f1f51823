from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from porchlight.accounts.permissions import public_view
from porchlight.web.selectors import home_summary


@public_view
def home(request: HttpRequest) -> HttpResponse:
    """Staff see their start page; residents and other visitors see the public page."""
    if not request.user.is_authenticated:
        return render(request, "web/public_home.html", {})
    return render(request, "web/home.html", {"summary": home_summary(user=request.user)})
