from django import template

from motcua.documents import links

register = template.Library()


@register.simple_tag(takes_context=True)
def download_url(context, document) -> str:
    """{% download_url doc %}: a link to the file that expires and works only for the signed-in person."""
    return links.url_for(context["request"].user, document)
