"""Collections API under /api/v1/orgs/<org_slug>/: cases, their letters, the preview."""
