"""Payments of fees and financial obligations (thanh toán phí, lệ phí, nghĩa vụ tài chính): providers
behind one interface, the national payment platform protocol, a local sandbox gateway, callbacks and
re-checks of unconfirmed payments."""
