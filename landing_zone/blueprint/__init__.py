"""Blueprint: loading (Jinja2 + YAML with line marks), the pydantic model, and semantic checks."""
