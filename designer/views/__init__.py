"""HTML views: thin translations of services into pages."""
