"""esfparse."""
