"""Plain responses the router gives before any view runs. Prebuilt where they are
static, so that refusing an unknown host costs no more than the lookup itself."""
from django.http import HttpResponse

_PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body><h1>{title}</h1><p>{message}</p></body></html>"
)


def _page(title: str, message: str) -> bytes:
    return _PAGE.format(title=title, message=message).encode("utf-8")


UNKNOWN_HOST_PAGE = _page("404 网站不存在", "您访问的网站不存在，请检查网址是否正确。")
UNKNOWN_SITE_CODE_PAGE = _page("404 网站不存在", "网址中的网站代号不存在。")
NOT_OPEN_PAGE = _page("网站尚未开通", "该网站尚未开通，暂不提供访问。")
TEMPORARILY_OFFLINE_PAGE = _page("网站临时下线", "该网站正在临时下线维护，请稍后访问。")
RETIRED_PAGE = _page("网站已下线", "该网站已永久下线。")
BACKOFFICE_NOT_READY_PAGE = _page("网站尚未开通", "该网站尚未完成开通，后台暂不可用。")
NO_GRANT_PAGE = _page("403 无权访问", "您没有该网站的管理权限。如需开通，请联系网站管理员。")


def html(body: bytes, status: int) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
