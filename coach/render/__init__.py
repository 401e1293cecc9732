"""Drawing for paper and screen with Qt's painting classes (QtGui only, no
widgets): the PDF report, the bedside card and the weekly chart. Below the
widgets in the layering, so the command line can print without a window."""
