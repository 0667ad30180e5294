"""Review rounds, scores, value for money and decisions."""
