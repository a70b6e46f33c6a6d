"""chiso: Vietnam's public-administration indices, from the criteria set to the ranking.

The package reads like the domain: ``frameworks`` (criteria trees as data), ``scoring``
(aggregation, index, rank, groups), ``tables`` (reading users' files, writing results) and
``cli``. Pure computation never imports the command line or any storage.
"""

__version__ = "0.1.0"
