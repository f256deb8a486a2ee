"""Quarterly public statistics under /statistics/ (issue 13).

Published by a partnership manager, with small numbers suppressed.
"""
