"""The implementation tracker: actions, evidence, RAG status and joint sign-off by the boards."""
