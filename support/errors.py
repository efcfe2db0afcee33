class SupportError(Exception):
    """A support action that cannot be done; the message is for the agent."""
