/** The policy pack run offline over a program run under mocks, and its report. */
export * from "./check";
