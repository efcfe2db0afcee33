"""Business NXT GraphQL stand-in (graphql-core), its limits, faults and ledger logic."""
