"""The site registry, site lifecycle and provisioning, and the apps that live inside
every site's schema (see ../shared/DESIGN.md, "Layout")."""
