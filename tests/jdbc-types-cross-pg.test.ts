/** PostgreSQL to MariaDB and back, type by type (see tests/jdbc-cross.ts). */
import { MY_TO_PG, PG_TO_MY } from "./jdbc-cross-cases.ts";
import { crossSuite, myEnd, pgEnd } from "./jdbc-cross.ts";

crossSuite(pgEnd, myEnd, PG_TO_MY);
crossSuite(myEnd, pgEnd, MY_TO_PG);
