"""The one-stop desk (bộ phận một cửa) and the processing pages officers work in all day."""
