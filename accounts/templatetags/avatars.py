"""``{% avatar_url user %}``: the absolute URL of a user's picture for this request's host."""

from django import template

from accounts.pictures import profile_picture_url

register = template.Library()


@register.simple_tag(takes_context=True)
def avatar_url(context, user) -> str:
    return profile_picture_url(user=user, request=context.get("request"))
