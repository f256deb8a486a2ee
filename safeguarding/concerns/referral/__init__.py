"""Stub; replaced by the referral journey."""
