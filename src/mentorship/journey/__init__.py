"""The journey: the whole product walked through the gateway, by the demo and the tests."""
