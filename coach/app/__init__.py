"""The app layer: the use cases the screens and the command line share.

Qt-free, like the core below it, and above it in the layering: ``coach.app``
may import ``coach.core`` and ``coach.services``' protocols, never
``coach.ui`` or Qt. A screen asks this layer what to show and say; the
command line asks it the same questions.
"""
