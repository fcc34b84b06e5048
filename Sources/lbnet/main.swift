print("lbnet")
