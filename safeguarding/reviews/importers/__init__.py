"""Loading reviews from files: review packs (YAML) and spreadsheets of recommendations (CSV, XLSX),
on the shared machinery in `safeguarding.core.content_loading`."""
