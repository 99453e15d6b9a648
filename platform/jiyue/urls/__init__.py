"""Three URL confs, chosen per request by jiyue.routing.middleware:
console (the console host), site_admin (/s/<code>/ on the console host) and
site_public (a site's own hosts)."""
