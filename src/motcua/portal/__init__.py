"""The citizen portal (cổng dịch vụ công): find a procedure, apply online, pay, track, supply, withdraw,
rate and give feedback. Citizens have accounts of their own, separate from staff accounts."""
