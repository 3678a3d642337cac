"""Layout: where the boxes, lanes and lines of a swimlane diagram go, and whether text collides.

Below ``render`` and ``bpmn``: it knows rectangles, lanes and links, not processes.
"""
