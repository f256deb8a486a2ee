"""The partnership a deployment serves: its boards, agencies and the places to report a concern."""
