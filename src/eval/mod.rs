//! Scoring of the extractors against gold data (one scorer per format).
