// Each deployment is a set of real processes; on two cores they run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
