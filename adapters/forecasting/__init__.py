"""Forecasting adapters: Prophet behind the domain's fitter port, the batch runner, the chart."""
