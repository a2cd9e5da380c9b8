"""One screen per level: summary, service, indicator; and the modals."""
