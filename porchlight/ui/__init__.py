"""Ground floor: helpers every app may use; it imports no Porchlight app."""
