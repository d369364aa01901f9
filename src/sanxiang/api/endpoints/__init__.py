"""API endpoints, one module per area; each is thin over the area's services and selectors."""
