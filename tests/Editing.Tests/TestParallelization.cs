// libtorch keeps process-wide state that tests touch (the global random generator several tests seed, thread-pool
// sizes, oneDNN's ISA cap), and two concurrent multi-GB network tests on 2 cores only thrash: the tests of this
// assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
