"""个人 API 令牌 (profile → API 令牌): create one (shown once), see when each was last used,
revoke. Tokens act with the owner's own permissions; see docs/api.md."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wuxiao.people import services as people
from wuxiao.people.queries import api_tokens_of
from wuxiao.portal.forms import ApiTokenForm


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token_row, created = people.create_api_token(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
        else:
            form = ApiTokenForm()
            messages.success(request, f"已创建令牌“{token_row.name}”。请立即复制保存：离开本页后无法再次查看")
    return render(
        request,
        "portal/api_tokens.html",
        {"form": form, "created": created, "tokens": api_tokens_of(request.user)},
        status=400 if request.method == "POST" and created is None else 200,
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    token_row = get_object_or_404(api_tokens_of(request.user), pk=pk)
    people.revoke_api_token(api_token=token_row, by=request.user)
    messages.success(request, f"已撤销令牌“{token_row.name}”，使用它的请求将被拒绝")
    return redirect("portal:api_tokens")
