#if PostgresSharedState
#endif
