//! Nash equilibria of games in normal and extensive form.
