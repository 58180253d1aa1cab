"""All valid records of a knowledge base, with the indexes analysis and pages need."""
