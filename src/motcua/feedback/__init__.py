"""Ratings (đánh giá mức độ hài lòng) and feedback (phản ánh, kiến nghị) from citizens."""
