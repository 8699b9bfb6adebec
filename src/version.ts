/** The release version; a test keeps it equal to package.json's (importing package.json costs ~15 ms of start-up). */
export const VERSION = "0.1.0";
