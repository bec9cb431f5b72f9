"""Planning: demand forecasts (`forecasting`: series, bands, backtests; `choice`: the model
chosen per item by backtest; `forecasts`: the `forecast` service and its store) and the
course's inventory formulas (`formulas`: safety stock, reorder point, EOQ, ABC, turnover)."""
