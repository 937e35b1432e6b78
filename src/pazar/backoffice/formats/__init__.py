"""One date format per language on every back-office page (the admin's and the panel's)."""
