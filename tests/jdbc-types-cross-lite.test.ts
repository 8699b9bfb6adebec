/** SQLite to and from PostgreSQL and MariaDB, type by type (see tests/jdbc-cross.ts). */
import { LITE_TO_MY, LITE_TO_PG, MY_TO_LITE, PG_TO_LITE } from "./jdbc-cross-lite-cases.ts";
import { crossSuite, liteEnd, myEnd, pgEnd } from "./jdbc-cross.ts";

crossSuite(pgEnd, liteEnd, PG_TO_LITE);
crossSuite(liteEnd, pgEnd, LITE_TO_PG);
crossSuite(myEnd, liteEnd, MY_TO_LITE);
crossSuite(liteEnd, myEnd, LITE_TO_MY);
